// Numbers for returns; their words are in ../../labels.
export const percent = (bp: number | null | undefined) => (bp == null ? "—" : `${(bp / 100).toFixed(1)}%`);
