/** Who a user is. The pgEnum `user_role` is built from this list; nothing else defines it. */
export const USER_ROLES = ["admin", "contractor", "network", "dj", "seller"] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** What kind of organisation owns data. Every tenant-scoped row carries an org id. */
export const ORG_KINDS = ["platform", "contractor", "network", "dj", "seller"] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/**
 * The roles a user of each kind of organisation may have: a platform user is an admin, every
 * other organisation's users have its own kind's role. There is no organisation-level admin role,
 * so only the platform's admins manage users (docs/users.md).
 */
export const ROLES_FOR_ORG_KIND: Readonly<Record<OrgKind, readonly UserRole[]>> = {
  platform: ["admin"],
  contractor: ["contractor"],
  network: ["network"],
  dj: ["dj"],
  seller: ["seller"],
};

/** The one password rule, wherever a password is chosen: 10 to 200 characters (NIST SP 800-63B). */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
