/** `{0}` in a translated text replaced by a value. */
export function fill(text: string, ...values: Array<string | number>): string {
  return text.replace(/\{(\d+)\}/g, (whole, index: string) => (values[Number(index)] === undefined ? whole : String(values[Number(index)])));
}

/** Seconds as `m:ss.mmm`, precise enough to tell frames apart. */
export function clock(seconds: number): string {
  const safe = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const minutes = Math.floor(safe / 60);
  return `${minutes}:${(safe - minutes * 60).toFixed(3).padStart(6, '0')}`;
}
