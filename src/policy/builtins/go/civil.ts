/** Proleptic Gregorian calendar arithmetic, as Go's time package does it (days since 1970-01-01). */

export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

/** Days before month m (1..13) in a non-leap year. */
export function daysBefore(m: number): number {
  return BEFORE[m - 1]!;
}

export function daysIn(m: number, year: number): number {
  if (m === 2 && isLeap(year)) return 29;
  return BEFORE[m]! - BEFORE[m - 1]!;
}

/** Days since 1970-01-01 of y-m-d (d may overflow the month). */
export function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + 1 - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468 + (d - 1);
}

export function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

/** [year, day of year (1-based)] */
export function yearYday(days: number): [number, number] {
  const [y] = civilFromDays(days);
  return [y, days - daysFromCivil(y, 1, 1) + 1];
}

/** 0 = Sunday */
export function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

export const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
export const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
