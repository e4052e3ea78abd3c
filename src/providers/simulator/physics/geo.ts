/** Great-circle distance and interpolation: where a car is along a route between two points. */

export interface Point {
  latitude: number;
  longitude: number;
}

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

/** Haversine distance, km. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The point a fraction `f` (0–1) of the way along the great circle from a to b. */
export function along(a: Point, b: Point, f: number): Point {
  const d = distanceKm(a, b) / EARTH_RADIUS_KM;
  if (d === 0 || f <= 0) return { ...a };
  if (f >= 1) return { ...b };
  const [lat1, lon1, lat2, lon2] = [rad(a.latitude), rad(a.longitude), rad(b.latitude), rad(b.longitude)];
  const A = Math.sin((1 - f) * d) / Math.sin(d);
  const B = Math.sin(f * d) / Math.sin(d);
  const x = A * Math.cos(lat1) * Math.cos(lon1) + B * Math.cos(lat2) * Math.cos(lon2);
  const y = A * Math.cos(lat1) * Math.sin(lon1) + B * Math.cos(lat2) * Math.sin(lon2);
  const z = A * Math.sin(lat1) + B * Math.sin(lat2);
  return { latitude: round6(deg(Math.atan2(z, Math.hypot(x, y)))), longitude: round6(deg(Math.atan2(y, x))) };
}

/** GPS reports about six decimals (~0.1 m). */
function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Initial great-circle course from a to b, degrees clockwise from true north in [0, 360). */
export function bearingDeg(a: Point, b: Point): number {
  const [lat1, lat2, dLon] = [rad(a.latitude), rad(b.latitude), rad(b.longitude - a.longitude)];
  const y = Math.sin(dLon) * Math.cos(lat2);
  const x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(dLon);
  const course = (deg(Math.atan2(y, x)) + 360) % 360;
  return course >= 360 ? 0 : course;
}

/** The course a car arrives with at b on the great circle from a: the reverse of b's course back to a. */
export function finalBearingDeg(a: Point, b: Point): number {
  return (bearingDeg(b, a) + 180) % 360;
}
