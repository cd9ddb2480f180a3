/**
 * Python's correctly rounded decimal rounding of floats to 5 places (round-half-even on the
 * exact binary value), as used by `round(x, 5)` and `f"{x:.5f}"`.
 */

const SCALE = 100_000;
const FAST_LIMIT = 2 ** 33;

/** |x| rounded to a whole number of 1e-5 units, exactly as Python rounds it. */
function unitsOf(absX: number): bigint {
  const y = absX * SCALE;
  if (y < FAST_LIMIT) {
    const frac = y - Math.floor(y);
    // Away from a tie the error of absX*SCALE (< 2^-19) cannot change the nearest integer.
    if (Math.abs(frac - 0.5) > 1e-5) return BigInt(Math.round(y));
  }
  return exactUnits(absX);
}

/** Exact path: absX = mant * 2^exp; compare the remainder against half a unit. */
function exactUnits(absX: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, absX);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  if (exp >= 0) return (mant << BigInt(exp)) * BigInt(SCALE);
  // absX * 1e5 = mant * 1e5 / 2^-exp
  const num = mant * BigInt(SCALE);
  const den = 1n << BigInt(-exp);
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) return q + 1n;
  return q;
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** Python `round(x, 5)`. */
export function pyRound5(x: number): number {
  if (!Number.isFinite(x)) return x;
  const units = unitsOf(Math.abs(x));
  const v = Number(`${units}e-5`);
  return isNegative(x) ? -v : v;
}

/** Python `f"{x:.5f}"`. */
export function pyFixed5(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const digits = unitsOf(Math.abs(x)).toString().padStart(6, "0");
  return `${isNegative(x) ? "-" : ""}${digits.slice(0, -5)}.${digits.slice(-5)}`;
}
