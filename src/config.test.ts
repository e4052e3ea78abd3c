/** Specification of the configuration (STYLE §9): defaults, validation naming the variable, overrides, TLS pairs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, OPTIONS, publicUrlOf } from './config.js';

/** The ConfigError that loading throws, whose message must name `variable`. */
function assertRejects(env: Record<string, string>, variable: string, overrides = {}): void {
  assert.throws(() => loadConfig(env, overrides), (error: unknown) => {
    assert.ok(error instanceof ConfigError, `a ConfigError, got ${String(error)}`);
    assert.match(error.message, new RegExp(`\\b${variable}\\b`));
    return true;
  });
}

describe('loadConfig() defaults', () => {
  test('an empty environment gives the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, 'sqlite:./data/carport.db');
    assert.equal(config.publicUrl, undefined);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.tlsCertFile, undefined);
    assert.equal(config.tlsKeyFile, undefined);
    assert.equal(config.trustProxy, false);
    assert.equal(config.corsOrigins, '*');
    assert.equal(config.rateLimits, 'on');
    assert.equal(config.appRequestsPerMinute, 6000);
    assert.equal(config.vehicleRequestsPerMinute, 120);
    assert.equal(config.tokenRequestsPerMinute, 60);
    assert.equal(config.signInAttempts, 5);
    assert.equal(config.connectUrl, undefined);
    assert.equal(config.authCacheMs, 2000);
    assert.equal(config.bodyLimitBytes, 1_048_576);
    assert.equal(config.demoRedirectUri, undefined);
  });

  test('an empty string counts as unset', () => {
    assert.equal(loadConfig({ PORT: '', DATABASE_URL: '' }).port, 8000);
    assert.equal(loadConfig({ DATABASE_URL: '' }).databaseUrl, 'sqlite:./data/carport.db');
  });

  test('the result is frozen', () => {
    const config = loadConfig({});
    assert.ok(Object.isFrozen(config));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
  });

  test('ignores process.env when given an environment', () => {
    const previous = process.env.PORT;
    process.env.PORT = '4321';
    try {
      assert.equal(loadConfig({}).port, 8000);
    } finally {
      if (previous === undefined) delete process.env.PORT;
      else process.env.PORT = previous;
    }
  });

  test('every option names an environment variable and documents itself', () => {
    const names = Object.values(OPTIONS).map((o) => o.env);
    assert.equal(new Set(names).size, names.length);
    for (const option of Object.values(OPTIONS)) {
      assert.match(option.env, /^[A-Z][A-Z0-9_]*$/);
      assert.ok(option.doc.trim().length > 0, option.env);
    }
  });
});

describe('loadConfig() reads the environment', () => {
  test('parses numbers, booleans, enums and URLs', () => {
    const config = loadConfig({
      PORT: '9000', HOST: '0.0.0.0', DATABASE_URL: 'postgres://carport@db:5432/carport', PUBLIC_URL: 'https://cars.example.com',
      LOG_LEVEL: 'warn', TRUST_PROXY: '2', CORS_ORIGINS: 'https://a.example,https://b.example', RATE_LIMITS: 'off',
      RATE_LIMIT_APP_PER_MINUTE: '100', RATE_LIMIT_VEHICLE_PER_MINUTE: '5', AUTH_CACHE_MS: '0', BODY_LIMIT_BYTES: '2048',
    });
    assert.equal(config.port, 9000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.databaseUrl, 'postgres://carport@db:5432/carport');
    assert.equal(config.publicUrl, 'https://cars.example.com');
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.trustProxy, 2);
    assert.equal(config.corsOrigins, 'https://a.example,https://b.example');
    assert.equal(config.rateLimits, 'off');
    assert.equal(config.appRequestsPerMinute, 100);
    assert.equal(config.vehicleRequestsPerMinute, 5);
    assert.equal(config.authCacheMs, 0);
    assert.equal(config.bodyLimitBytes, 2048);
  });

  test('accepts sqlite: files, sqlite::memory: and postgresql:// URLs', () => {
    for (const url of ['sqlite:./x.db', 'sqlite::memory:', 'postgresql://u@h/db', 'postgres://u:p@h:5432/db']) {
      assert.equal(loadConfig({ DATABASE_URL: url }).databaseUrl, url);
    }
  });

  test('TRUST_PROXY takes false, a hop count, or proxy addresses and CIDRs', () => {
    for (const no of ['false', '0', 'no', 'off']) assert.equal(loadConfig({ TRUST_PROXY: no }).trustProxy, false, no);
    assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,fd00::/8' }).trustProxy, ['10.0.0.1', '192.168.0.0/16', 'fd00::/8']);
  });

  test('OUTBOUND_ALLOW_CIDRS and OVMS_BROKERS take comma-separated lists', () => {
    const config = loadConfig({ OUTBOUND_ALLOW_CIDRS: '10.1.0.0/16,fd00::/8', OVMS_BROKERS: 'broker.example.com:8883,mqtt.local' });
    assert.equal(config.outboundAllowCidrs, '10.1.0.0/16,fd00::/8');
    assert.equal(config.ovmsBrokers, 'broker.example.com:8883,mqtt.local');
  });

  test('RATE_LIMIT_STORE takes memory (the default) or a Redis URL with its database, and a key prefix', () => {
    assert.equal(loadConfig({}).rateLimitStore, 'memory');
    for (const store of ['redis://127.0.0.1:6379', 'redis://redis.internal:6380/2', 'rediss://:pw@redis.example.com/0', 'redis://[::1]:6379/']) {
      assert.equal(loadConfig({ RATE_LIMIT_STORE: store }).rateLimitStore, store);
    }
    assert.equal(loadConfig({ RATE_LIMIT_KEY_PREFIX: 'staging:' }).rateLimitKeyPrefix, 'staging:');
  });
});

describe('loadConfig() rejects bad values with a ConfigError naming the variable', () => {
  test('TRUST_PROXY=true, which would trust every forwarded hop, with the reason', () => {
    for (const yes of ['true', 'yes', 'on']) {
      assert.throws(() => loadConfig({ TRUST_PROXY: yes }), (e: unknown) => e instanceof ConfigError && /TRUST_PROXY/.test(e.message) && /every X-Forwarded-For hop/.test(e.message));
    }
    for (const bad of ['proxy.example.com', '10.0.0.1/33', '1,2']) assertRejects({ TRUST_PROXY: bad }, 'TRUST_PROXY');
  });

  test('an OUTBOUND_ALLOW_CIDRS entry that is not a CIDR', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/40', 'example.com/8', '::1/129']) assertRejects({ OUTBOUND_ALLOW_CIDRS: bad }, 'OUTBOUND_ALLOW_CIDRS');
  });

  test('a PORT that is not a port number', () => {
    for (const port of ['abc', '70000', '-1', '80.5', '8000x']) assertRejects({ PORT: port }, 'PORT');
  });

  test('a DATABASE_URL that is neither sqlite: nor postgres://', () => {
    for (const url of ['mysql://u@h/db', './carport.db', 'http://db', 'postgres:/missing-slash']) {
      assertRejects({ DATABASE_URL: url }, 'DATABASE_URL');
    }
  });

  test('a RATE_LIMIT_STORE that is neither memory nor a Redis URL, and a key prefix with spaces', () => {
    for (const store of ['Memory', 'redis', 'http://redis:6379', 'redis://', 'redis://h:6379/db', 'redis://h/0?tls=1', `redis://h/${'0'.repeat(3000)}`]) {
      assertRejects({ RATE_LIMIT_STORE: store }, 'RATE_LIMIT_STORE');
    }
    assertRejects({ RATE_LIMIT_KEY_PREFIX: 'two words' }, 'RATE_LIMIT_KEY_PREFIX');
  });

  test('a RATE_LIMITS other than on or off', () => {
    for (const value of ['maybe', 'ON', 'true']) assertRejects({ RATE_LIMITS: value }, 'RATE_LIMITS');
  });

  test('out-of-range limits, a bad log level, a bad boolean, a relative PUBLIC_URL', () => {
    assertRejects({ RATE_LIMIT_VEHICLE_PER_MINUTE: '0' }, 'RATE_LIMIT_VEHICLE_PER_MINUTE');
    assertRejects({ RATE_LIMIT_APP_PER_MINUTE: 'lots' }, 'RATE_LIMIT_APP_PER_MINUTE');
    assertRejects({ BODY_LIMIT_BYTES: '10' }, 'BODY_LIMIT_BYTES');
    assertRejects({ AUTH_CACHE_MS: '3600000' }, 'AUTH_CACHE_MS');
    assertRejects({ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL');
    assertRejects({ TRUST_PROXY: 'nope' }, 'TRUST_PROXY');
    assertRejects({ PUBLIC_URL: 'cars.example.com' }, 'PUBLIC_URL');
  });

  test('several bad values are all named in one error', () => {
    assert.throws(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', RATE_LIMITS: 'maybe' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      for (const name of ['PORT', 'DATABASE_URL', 'RATE_LIMITS']) assert.match(error.message, new RegExp(`\\b${name}\\b`));
      return true;
    });
  });

  test('a bad override is named by its environment variable', () => {
    assertRejects({}, 'PORT', { port: 'abc' });
    assertRejects({}, 'DATABASE_URL', { databaseUrl: 'mysql://x' });
  });
});

describe('loadConfig() overrides', () => {
  test('win over the environment', () => {
    const config = loadConfig(
      { PORT: '1234', DATABASE_URL: 'sqlite:./env.db', RATE_LIMITS: 'on', TRUST_PROXY: 'true' },
      { port: 5678, databaseUrl: 'sqlite::memory:', rateLimits: 'off', trustProxy: false },
    );
    assert.equal(config.port, 5678);
    assert.equal(config.databaseUrl, 'sqlite::memory:');
    assert.equal(config.rateLimits, 'off');
    assert.equal(config.trustProxy, false);
  });

  test('an override of 0 is a value, not an absence', () => {
    assert.equal(loadConfig({ PORT: '1234' }, { port: 0 }).port, 0);
  });

  test('an undefined override leaves the environment value', () => {
    assert.equal(loadConfig({ PORT: '1234' }, { port: undefined }).port, 1234);
  });

  test('an override fixes a bad environment value', () => {
    assert.equal(loadConfig({ PORT: 'abc' }, { port: 80 }).port, 80);
  });
});

describe('loadConfig() TLS files', () => {
  test('a certificate without a key is rejected', () => {
    assertRejects({ TLS_CERT_FILE: '/etc/carport/cert.pem' }, 'TLS_KEY_FILE');
    assertRejects({ TLS_CERT_FILE: '/etc/carport/cert.pem' }, 'TLS_CERT_FILE');
  });

  test('a key without a certificate is rejected', () => {
    assertRejects({ TLS_KEY_FILE: '/etc/carport/key.pem' }, 'TLS_CERT_FILE');
  });

  test('a certificate with its key is accepted', () => {
    const config = loadConfig({ TLS_CERT_FILE: '/etc/carport/cert.pem', TLS_KEY_FILE: '/etc/carport/key.pem' });
    assert.equal(config.tlsCertFile, '/etc/carport/cert.pem');
    assert.equal(config.tlsKeyFile, '/etc/carport/key.pem');
  });
});

describe('publicUrlOf()', () => {
  test('defaults to http://localhost:<bound port>', () => {
    assert.equal(publicUrlOf(loadConfig({ PORT: '9000' })), 'http://localhost:9000');
    assert.equal(publicUrlOf(loadConfig({ PORT: '0' }), 43210), 'http://localhost:43210');
  });

  test('uses https when carport serves TLS itself', () => {
    const config = loadConfig({ TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem', PORT: '8443' });
    assert.equal(publicUrlOf(config), 'https://localhost:8443');
  });

  test('prefers PUBLIC_URL, without trailing slashes', () => {
    assert.equal(publicUrlOf(loadConfig({ PUBLIC_URL: 'https://cars.example.com/' })), 'https://cars.example.com');
  });
});
