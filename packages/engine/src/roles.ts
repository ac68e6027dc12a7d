/** Who a user is. The pgEnum `user_role` is built from this list; nothing else defines it. */
export const USER_ROLES = ["admin", "contractor", "network", "dj", "seller"] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** What kind of organisation owns data. Every tenant-scoped row carries an org id. */
export const ORG_KINDS = ["platform", "contractor", "network", "dj", "seller"] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
