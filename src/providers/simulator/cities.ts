/** Real places: where simulated cars live, and where road trips go. */

export interface City {
  name: string;
  latitude: number;
  longitude: number;
}

/** Downtown points on land, so a small jitter never drops a parked car into a bay or a lake. */
export const HOME_CITIES: readonly City[] = [
  { name: 'San Francisco', latitude: 37.787994, longitude: -122.407437 },
  { name: 'Los Angeles', latitude: 34.052235, longitude: -118.243683 },
  { name: 'Seattle', latitude: 47.6117, longitude: -122.337 },
  { name: 'Austin', latitude: 30.267153, longitude: -97.743061 },
  { name: 'Denver', latitude: 39.739236, longitude: -104.990251 },
  { name: 'Chicago', latitude: 41.883881, longitude: -87.630384 },
  { name: 'New York', latitude: 40.753597, longitude: -73.983233 },
  { name: 'Toronto', latitude: 43.656139, longitude: -79.380236 },
  { name: 'Berlin', latitude: 52.521918, longitude: 13.413215 },
  { name: 'Munich', latitude: 48.137154, longitude: 11.576124 },
  { name: 'Paris', latitude: 48.8675, longitude: 2.363611 },
  { name: 'Madrid', latitude: 40.416775, longitude: -3.70379 },
];

/** Further destinations, so every home city has real places a road trip's distance away. */
export const TRIP_CITIES: readonly City[] = [
  ...HOME_CITIES,
  { name: 'Sacramento', latitude: 38.581572, longitude: -121.4944 },
  { name: 'Las Vegas', latitude: 36.169941, longitude: -115.139832 },
  { name: 'San Diego', latitude: 32.715738, longitude: -117.161084 },
  { name: 'Portland', latitude: 45.515232, longitude: -122.678385 },
  { name: 'Vancouver', latitude: 49.282729, longitude: -123.120738 },
  { name: 'Houston', latitude: 29.760427, longitude: -95.369803 },
  { name: 'Dallas', latitude: 32.776664, longitude: -96.796988 },
  { name: 'Salt Lake City', latitude: 40.760779, longitude: -111.891047 },
  { name: 'Kansas City', latitude: 39.099727, longitude: -94.578567 },
  { name: 'Detroit', latitude: 42.331427, longitude: -83.045754 },
  { name: 'Boston', latitude: 42.360082, longitude: -71.05888 },
  { name: 'Washington', latitude: 38.907192, longitude: -77.036871 },
  { name: 'Montreal', latitude: 45.501689, longitude: -73.567256 },
  { name: 'Hamburg', latitude: 53.551085, longitude: 9.993682 },
  { name: 'Frankfurt', latitude: 50.110922, longitude: 8.682127 },
  { name: 'Vienna', latitude: 48.208174, longitude: 16.373819 },
  { name: 'Lyon', latitude: 45.764043, longitude: 4.835659 },
  { name: 'Barcelona', latitude: 41.385064, longitude: 2.173403 },
  { name: 'Valencia', latitude: 39.469907, longitude: -0.376288 },
  { name: 'Prague', latitude: 50.075538, longitude: 14.4378 },
];
