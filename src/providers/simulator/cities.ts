/** Real places: where simulated cars live, and where road trips go. */
import { distanceKm, type Point } from './physics/geo.js';

export interface City {
  name: string;
  latitude: number;
  longitude: number;
  /** ISO 3166 alpha-2. */
  country: string;
  /** IANA time zone: the car's clock shows its home city's local time. */
  timeZone: string;
}

/** Downtown points on land, so a small jitter never drops a parked car into a bay or a lake. */
export const HOME_CITIES: readonly City[] = [
  { name: 'San Francisco', latitude: 37.787994, longitude: -122.407437, country: 'US', timeZone: 'America/Los_Angeles' },
  { name: 'Los Angeles', latitude: 34.052235, longitude: -118.243683, country: 'US', timeZone: 'America/Los_Angeles' },
  { name: 'Seattle', latitude: 47.6117, longitude: -122.337, country: 'US', timeZone: 'America/Los_Angeles' },
  { name: 'Austin', latitude: 30.267153, longitude: -97.743061, country: 'US', timeZone: 'America/Chicago' },
  { name: 'Denver', latitude: 39.739236, longitude: -104.990251, country: 'US', timeZone: 'America/Denver' },
  { name: 'Chicago', latitude: 41.883881, longitude: -87.630384, country: 'US', timeZone: 'America/Chicago' },
  { name: 'New York', latitude: 40.753597, longitude: -73.983233, country: 'US', timeZone: 'America/New_York' },
  { name: 'Toronto', latitude: 43.656139, longitude: -79.380236, country: 'CA', timeZone: 'America/Toronto' },
  { name: 'Berlin', latitude: 52.521918, longitude: 13.413215, country: 'DE', timeZone: 'Europe/Berlin' },
  { name: 'Munich', latitude: 48.137154, longitude: 11.576124, country: 'DE', timeZone: 'Europe/Berlin' },
  { name: 'Paris', latitude: 48.8675, longitude: 2.363611, country: 'FR', timeZone: 'Europe/Paris' },
  { name: 'Madrid', latitude: 40.416775, longitude: -3.70379, country: 'ES', timeZone: 'Europe/Madrid' },
];

/** Further destinations, so every home city has real places a road trip's distance away. */
export const TRIP_CITIES: readonly City[] = [
  ...HOME_CITIES,
  { name: 'Sacramento', latitude: 38.581572, longitude: -121.4944, country: 'US', timeZone: 'America/Los_Angeles' },
  { name: 'Las Vegas', latitude: 36.169941, longitude: -115.139832, country: 'US', timeZone: 'America/Los_Angeles' },
  { name: 'San Diego', latitude: 32.715738, longitude: -117.161084, country: 'US', timeZone: 'America/Los_Angeles' },
  { name: 'Portland', latitude: 45.515232, longitude: -122.678385, country: 'US', timeZone: 'America/Los_Angeles' },
  { name: 'Vancouver', latitude: 49.282729, longitude: -123.120738, country: 'CA', timeZone: 'America/Vancouver' },
  { name: 'Houston', latitude: 29.760427, longitude: -95.369803, country: 'US', timeZone: 'America/Chicago' },
  { name: 'Dallas', latitude: 32.776664, longitude: -96.796988, country: 'US', timeZone: 'America/Chicago' },
  { name: 'Salt Lake City', latitude: 40.760779, longitude: -111.891047, country: 'US', timeZone: 'America/Denver' },
  { name: 'Kansas City', latitude: 39.099727, longitude: -94.578567, country: 'US', timeZone: 'America/Chicago' },
  { name: 'Detroit', latitude: 42.331427, longitude: -83.045754, country: 'US', timeZone: 'America/Detroit' },
  { name: 'Boston', latitude: 42.360082, longitude: -71.05888, country: 'US', timeZone: 'America/New_York' },
  { name: 'Washington', latitude: 38.907192, longitude: -77.036871, country: 'US', timeZone: 'America/New_York' },
  { name: 'Montreal', latitude: 45.501689, longitude: -73.567256, country: 'CA', timeZone: 'America/Toronto' },
  { name: 'Hamburg', latitude: 53.551085, longitude: 9.993682, country: 'DE', timeZone: 'Europe/Berlin' },
  { name: 'Frankfurt', latitude: 50.110922, longitude: 8.682127, country: 'DE', timeZone: 'Europe/Berlin' },
  { name: 'Vienna', latitude: 48.208174, longitude: 16.373819, country: 'AT', timeZone: 'Europe/Vienna' },
  { name: 'Lyon', latitude: 45.764043, longitude: 4.835659, country: 'FR', timeZone: 'Europe/Paris' },
  { name: 'Barcelona', latitude: 41.385064, longitude: 2.173403, country: 'ES', timeZone: 'Europe/Madrid' },
  { name: 'Valencia', latitude: 39.469907, longitude: -0.376288, country: 'ES', timeZone: 'Europe/Madrid' },
  { name: 'Prague', latitude: 50.075538, longitude: 14.4378, country: 'CZ', timeZone: 'Europe/Prague' },
];

/** The home city nearest a point: whose clock and charging standards a car there follows. */
export function nearestHomeCity(point: Point): City {
  let best = HOME_CITIES[0]!;
  let bestKm = Infinity;
  for (const city of HOME_CITIES) {
    const km = distanceKm(point, city);
    if (km < bestKm) [best, bestKm] = [city, km];
  }
  return best;
}

const NORTH_AMERICA: ReadonlySet<string> = new Set(['US', 'CA']);

/** North American cars use J1772/CCS1/NACS on 120/240 V split phase; the rest here Type 2/CCS2 on 230 V. */
export function isNorthAmerican(city: City): boolean {
  return NORTH_AMERICA.has(city.country);
}
