// The parts of the official Smartcar Node SDK the tests use; the package ships no types.
/* eslint-disable @typescript-eslint/no-unused-vars -- ambient declarations are used through the default export */
declare module 'smartcar' {
  interface Meta { requestId?: string; dataAge?: Date; fetchedAt?: Date; unitSystem?: string }
  type Response = Record<string, unknown> & { meta: Meta };
  type Method = () => Promise<Response>;

  class SmartcarError extends Error {
    statusCode: number;
    type: string;
    code?: string;
    description: string;
    docURL?: string;
    requestId?: string;
    resolution?: { type: string | null; url?: string };
    retryAfter?: string;
    detail?: unknown[];
    suggestedUserMessage?: string;
  }

  class Vehicle {
    constructor(id: string, token: string, options?: { unitSystem?: 'metric' | 'imperial'; flags?: Record<string, string | boolean> });
    id: string;
    attributes: Method; vin: Method; odometer: Method; location: Method; fuel: Method; battery: Method;
    batteryCapacity: Method; nominalCapacity: Method; charge: Method; tirePressure: Method; engineOil: Method;
    lockStatus: Method; diagnosticSystemStatus: Method; diagnosticTroubleCodes: Method; getChargeLimit: Method;
    lock: Method; unlock: Method; startCharge: Method; stopCharge: Method; disconnect: Method;
    permissions(paging?: { limit?: number; offset?: number }): Promise<Response>;
    setChargeLimit(limit: number): Promise<Response>;
    sendDestination(latitude: number, longitude: number): Promise<Response>;
    serviceHistory(startDate?: string, endDate?: string): Promise<{ data: Record<string, unknown>[]; meta: Meta }>;
    batch(paths: string[]): Promise<Record<string, () => Response>>;
    request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ body: Record<string, unknown>; meta: Meta }>;
    /** v3: GET {SMARTCAR_API_V3_ORIGIN}/v3/vehicles/:id/signals; the body without its top-level meta. */
    getSignals(): Promise<{ body: Record<string, unknown>; headers: Record<string, string> }>;
    /** v3: GET {SMARTCAR_API_V3_ORIGIN}/v3/vehicles/:id/signals/:code. */
    getSignal(code: string): Promise<{ body: Record<string, unknown>; headers: Record<string, string> }>;
  }

  const smartcar: {
    SmartcarError: typeof SmartcarError;
    Vehicle: typeof Vehicle;
    getVehicles(token: string, paging?: { limit?: number; offset?: number }): Promise<{ vehicles: string[]; paging: { count: number; offset: number }; meta: Meta }>;
    getUser(token: string): Promise<{ id: string; meta: Meta }>;
    /** v3: GET {SMARTCAR_API_V3_ORIGIN}/v3/vehicles/:id/ (trailing slash); body.meta is the response headers. */
    getVehicle(token: string, vehicleId: string): Promise<{ body: Record<string, unknown>; headers: Record<string, string> }>;
  };
  export default smartcar;
}
