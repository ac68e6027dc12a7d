// The live-auction test world (buyers on buyer-sim, a seller with an API key, real PostgreSQL),
// shared by the server's own integration tests and the fault proofs in @leadflow/tooling.
export * from "./auction-it/world";
