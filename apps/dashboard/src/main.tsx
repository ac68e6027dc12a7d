import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { App } from "./App";
import "./styles.css";
import { makeQueryClient, makeTrpcClient, TRPCProvider } from "./trpc";

// A data router, so a form can hold back in-app navigation while it has unsaved changes
// (useBlocker); App still declares its routes with <Routes> under this one catch-all.
const router = createBrowserRouter([{ path: "*", element: <App /> }]);

function Root() {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(makeTrpcClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <RouterProvider router={router} />
      </TRPCProvider>
    </QueryClientProvider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
