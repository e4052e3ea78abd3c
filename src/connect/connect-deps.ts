/** What the Connect pages need from the rest of the platform. */
import type { Clock, RateLimiter } from '../core/index.js';
import type { AppService, CodeService, TokenService } from '../oauth/index.js';
import type { InteractionsRepository } from '../store/index.js';
import type { LiveSignIn } from '../providers/index.js';
import type { ConnectFunnel } from '../request-log/index.js';
import type { VehicleService } from '../vehicles/index.js';
import type { BrandChoice } from './pages.js';

export interface ConnectDeps {
  apps: AppService;
  tokens: TokenService;
  codes: CodeService;
  vehicles: VehicleService;
  interactions: InteractionsRepository;
  /** The daily counts of the steps owners reach (the console's funnel), for /oauth/authorize sessions. */
  funnel: ConnectFunnel;
  clock: Clock;
  /** Sign-in attempts per client IP. */
  signInLimiter: RateLimiter;
  /** Connect sessions started (each one a stored interaction) per client IP. */
  startLimiter: RateLimiter;
  /** Failed sign-ins one interaction allows. */
  signInAttempts: number;
  /** Brands whose providers serve each mode, with the countries they are offered in. */
  brandsFor(mode: string, country: string | null): BrandChoice[];
  /** Live mode's providers that have their own sign-in step, each listed as its brand. */
  liveSignIns: readonly { provider: string; signIn: LiveSignIn }[];
  /** The issuer identifier sent as `iss` (PUBLIC_URL); null uses the origin the browser reached. */
  issuer: string | null;
  /** Key for signing cookies and CSRF tokens, shared by every node. */
  key: string;
}
