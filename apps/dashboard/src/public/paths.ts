// Which paths are public, apart from the pages themselves: App.tsx decides with this before it
// downloads them (PublicRoutes is a chunk of its own).
export const PUBLIC_PATH = /^\/(prices|inquire|compare\/[^/]+|djs\/[^/]+)\/?$/;

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATH.test(pathname);
}
