/** Names compare equal when they differ only in case or Unicode compatibility form ("Ｅｍｉｌｅ" = "emile"). */
export function displayNameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}
