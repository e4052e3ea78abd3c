/** Table shapes. Timestamps are ISO 8601 text and JSON documents are text, identical on SQLite and PostgreSQL. */
export interface AppsTable {
  id: string;
  name: string;
  client_secret_hash: string;
  management_token_hash: string;
  /** JSON array of exact redirect URIs; the first is the default. */
  redirect_uris: string;
  /** 1 for clients that cannot keep a secret (mobile, SPA): PKCE instead of a secret. */
  public_client: number;
  created_at: string;
  /** During a secret rotation: the replaced secret's hash, valid until previous_secret_until. */
  previous_secret_hash: string | null;
  previous_secret_until: string | null;
  /** The management token encrypted under SECRET_KEY: webhook deliveries are signed with it. */
  management_token_sealed: string | null;
  /** During a management token rotation: the replaced token's hash, valid until previous_management_token_until. */
  previous_management_token_hash: string | null;
  previous_management_token_until: string | null;
  /** The developer who owns the app (the console shows it to them only); null: no one yet. */
  owner_user_id: string | null;
}

/** A console sign-in: the cookie carries the token, the table its hash. */
export interface ConsoleSessionsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

/** A team member of an app, by address (lower-cased); the app's owning user needs no row. */
export interface AppMembersTable {
  app_id: string;
  email: string;
  /** owner, developer or viewer. */
  role: string;
  invited_by: string | null;
  created_at: string;
}

/** A developer's account: signs in to the console, owns apps. */
export interface DeveloperUsersTable {
  id: string;
  /** Lower-cased. */
  email: string;
  password_hash: string;
  /** 1 while the password is one carport generated and printed once. */
  password_temporary: number;
  created_at: string;
}

/** A vehicle owner's account at a carmaker (or a simulated one). */
export interface AccountsTable {
  id: string;
  /** Stable key of the account within its mode and brand, e.g. a hash of brand + email. */
  account_key: string;
  mode: string;
  make: string;
  created_at: string;
  /** SHA-256 of a generated high-entropy password (simulated accounts); null where any password works. */
  password_hash: string | null;
  /** The app that created this simulated account through the management API, if one did. */
  developer_app_id: string | null;
}

export interface VehiclesTable {
  id: string;
  account_id: string;
  provider: string;
  mode: string;
  make: string;
  model: string;
  year: number;
  vin: string;
  powertrain: string;
  /** Provider-owned JSON snapshot (the simulator's state). */
  state: string;
  state_version: number;
  created_at: string;
}

/** One grant per (app, account, vehicle): the source of truth for what an app may do with a car. */
/** Ended connections of vehicles to apps, with why they ended (migration 0020). */
export interface ConnectionHistoryTable {
  grant_id: string;
  app_id: string;
  account_id: string;
  vehicle_id: string;
  started_at: string;
  ended_at: string;
  end_reason: string;
}

export interface GrantsTable {
  id: string;
  app_id: string;
  account_id: string;
  vehicle_id: string;
  /** JSON array of permission names. */
  scopes: string;
  created_at: string;
  revoked_at: string | null;
}

/** What one consent produced: the vehicles a token family covers. */
export interface AuthorizationsTable {
  id: string;
  app_id: string;
  account_id: string;
  mode: string;
  /** JSON array of vehicle ids. */
  vehicle_ids: string;
  created_at: string;
  revoked_at: string | null;
}

/** Which generation of each grant a token family reaches its vehicles through. */
export interface AuthorizationGrantsTable {
  authorization_id: string;
  grant_id: string;
}

export interface TokensTable {
  /** SHA-256 of the token; the token itself is never stored. */
  hash: string;
  authorization_id: string;
  kind: 'access' | 'refresh';
  expires_at: string;
  created_at: string;
  revoked_at: string | null;
  replaced_at: string | null;
  grace_used_at: string | null;
}

export interface InteractionsTable {
  id: string;
  app_id: string;
  /** JSON of the validated authorize request. */
  request: string;
  make: string | null;
  account_id: string | null;
  /** JSON array of the vehicles the owner selected. */
  vehicle_ids: string | null;
  sign_in_failures: number;
  created_at: string;
  expires_at: string;
  finished_at: string | null;
}

export interface AuthorizationCodesTable {
  /** SHA-256 of the code. */
  hash: string;
  app_id: string;
  account_id: string;
  mode: string;
  redirect_uri: string;
  /** 1 when the authorize request named the redirect URI; the exchange must then repeat it. */
  redirect_uri_explicit: number;
  vehicle_ids: string;
  scopes: string;
  /** PKCE S256 challenge, if the app sent one. */
  code_challenge: string | null;
  created_at: string;
  expires_at: string;
  consumed_at: string | null;
  /** The token family the code was redeemed for, to revoke on reuse. */
  authorization_id: string | null;
}

export interface ServerKeysTable {
  name: string;
  value: string;
  created_at: string;
}

export interface WebhooksTable {
  id: string;
  app_id: string;
  name: string;
  url: string;
  /** 'scheduled' (data at an interval) or 'event' (on triggers). */
  type: string;
  interval_seconds: number | null;
  /** JSON array of trigger names (event webhooks). */
  triggers: string;
  /** JSON array of vehicle-relative data paths to include, e.g. ["/odometer", "/battery"]. */
  data: string;
  /** 'pending' until the receiver answers the VERIFY challenge, then 'active'; 'deleted' once its app deletes it. */
  status: string;
  created_at: string;
  /** Payload format: '2.0' or '4.0'. */
  version: string;
  /** Deliveries dead-lettered in a row since the last one delivered. */
  dead_streak: number;
  /** When WEBHOOK_PAUSE_AFTER dead-lettered deliveries in a row paused it (nothing is sent until resumed), and the last one's error. */
  paused_at: string | null;
  pause_reason: string | null;
}

export interface WebhookSubscriptionsTable {
  webhook_id: string;
  vehicle_id: string;
  created_at: string;
  next_due_at: string | null;
  /** JSON of what the last trigger evaluation saw. */
  last_seen: string | null;
}

export interface WebhookOutboxTable {
  id: string;
  webhook_id: string;
  vehicle_id: string | null;
  seq: number;
  event_id: string;
  /** The exact compact JSON to deliver and sign. */
  body: string;
  /** 'pending', 'delivered' or 'dead'. */
  status: string;
  attempts: number;
  next_attempt_at: string;
  /** A worker holds the row until then (SQLite; PostgreSQL also locks it). */
  lease_until: string | null;
  created_at: string;
  delivered_at: string | null;
  last_error: string | null;
}

export interface WebhookAttemptsTable {
  id: string;
  outbox_id: string;
  delivery_id: string;
  worker: string;
  started_at: string;
  status_code: number | null;
  latency_ms: number | null;
  error: string | null;
  response_snippet: string | null;
}

/** Which node may run a periodic job (the purge) until when: taken and renewed by compare-and-set. */
export interface MaintenanceLeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

/** Smartcar v3 application tokens (client credentials): the hash only, never the token. */
export interface ApplicationTokensTable {
  hash: string;
  app_id: string;
  created_at: string;
  expires_at: string;
}

/** One recorded Vehicle API or token-endpoint request of an app (the console's Logs). */
export interface RequestLogTable {
  app_id: string;
  /** Epoch milliseconds (the table is written at the API's rate: no text to format). */
  at_ms: number;
  request_id: string;
  method: string;
  path: string;
  vehicle_id: string | null;
  status: number;
  error_type: string | null;
  error_code: string | null;
  latency_ms: number;
}

/** An app's recorded requests and errors (status >= 400) on one UTC day (YYYY-MM-DD). */
export interface UsageDaysTable {
  app_id: string;
  day: string;
  requests: number;
  errors: number;
}

/** How many of an app's Connect sessions reached a step on one UTC day. */
export interface ConnectFunnelDaysTable {
  app_id: string;
  day: string;
  step: string;
  count: number;
}

export interface Database {
  apps: AppsTable;
  developer_users: DeveloperUsersTable;
  console_sessions: ConsoleSessionsTable;
  app_members: AppMembersTable;
  accounts: AccountsTable;
  vehicles: VehiclesTable;
  grants: GrantsTable;
  connection_history: ConnectionHistoryTable;
  authorizations: AuthorizationsTable;
  authorization_grants: AuthorizationGrantsTable;
  tokens: TokensTable;
  interactions: InteractionsTable;
  authorization_codes: AuthorizationCodesTable;
  server_keys: ServerKeysTable;
  webhooks: WebhooksTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_attempts: WebhookAttemptsTable;
  maintenance_leases: MaintenanceLeasesTable;
  application_tokens: ApplicationTokensTable;
  request_log: RequestLogTable;
  usage_days: UsageDaysTable;
  connect_funnel_days: ConnectFunnelDaysTable;
}
