/** ISO 3779 VINs with a valid North-American check digit, so generated cars pass real VIN decoders. */
import type { Random } from './random.js';

/** Every character a VIN may contain: I, O and Q are excluded to avoid confusion with 1 and 0. */
export const VIN_ALPHABET = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';

const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const DIGITS = '0123456789';

/** Model-year codes repeat every 30 years from 1980; U, Z and 0 are skipped as well as I, O, Q. */
const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';

const TRANSLITERATION: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};

const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;

const VIN_PATTERN = /^[0-9A-HJ-NPR-Z]{17}$/;

function charValue(ch: string): number {
  const digit = DIGITS.indexOf(ch);
  return digit >= 0 ? digit : (TRANSLITERATION[ch] ?? 0);
}

/** Check digit for a 17-character VIN; position 9 itself carries weight 0 so its content is irrelevant. */
function checkDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += charValue(vin.charAt(i)) * (WEIGHTS[i] ?? 0);
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

export function modelYearCode(modelYear: number): string {
  if (!Number.isInteger(modelYear) || modelYear < 1980 || modelYear > 2039) {
    throw new RangeError(`model year out of VIN range: ${modelYear}`);
  }
  return YEAR_CODES.charAt((modelYear - 1980) % 30);
}

export function generateVin(wmi: string, modelYear: number, random: Random): string {
  if (!/^[0-9A-HJ-NPR-Z]{3}$/.test(wmi)) throw new RangeError(`invalid WMI: ${wmi}`);
  const vds = Array.from({ length: 5 }, (_, i) =>
    // North-American rule: position 7 is a letter from 2010 on and a digit before, which is what
    // tells the two 30-year cycles of the year code apart.
    i === 3 ? random.pick([...(modelYear >= 2010 ? LETTERS : DIGITS)]) : random.pick([...VIN_ALPHABET]),
  ).join('');
  const plant = random.pick([...VIN_ALPHABET]);
  const serial = String(random.int(0, 999_999)).padStart(6, '0');
  const draft = `${wmi}${vds}0${modelYearCode(modelYear)}${plant}${serial}`;
  return `${draft.slice(0, 8)}${checkDigit(draft)}${draft.slice(9)}`;
}

/** Length and alphabet only: European VINs need no check digit, and even Smartcar's docs show a wrong one. */
export function isWellFormedVin(vin: string): boolean {
  return VIN_PATTERN.test(vin);
}

/** Well formed and carrying the North-American check digit in position 9. */
export function isValidVin(vin: string): boolean {
  return isWellFormedVin(vin) && vin.charAt(8) === checkDigit(vin);
}
