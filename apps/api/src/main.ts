import 'reflect-metadata';

import * as path from 'node:path';
import { isatty } from 'node:tty';
import { ConsoleLogger, Logger, type LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { mostGenerousLimits } from '@mpqcht/permissions';

import { AppModule } from './app.module';
import { EnvelopeInterceptor } from './common/envelope.interceptor';
import { ProtocolExceptionFilter } from './common/protocol-exception.filter';
import { AppConfig } from './config/app-config';
import { CommunityConfigError } from './config/community-config';
import { EnvError, loadEnv, type LogLevel } from './config/env';
import { checkListenAddress, ListenAddressError } from './config/listen-address';
import { loadCommunityConfig } from './config/load-community-config';
import { DatabaseAvailability } from './database/database-availability';
import { EmbeddedPostgres } from './database/embedded-postgres';
import { EmbeddedPostgresSupervisor } from './database/embedded-postgres-supervisor';
import { Migrator } from './database/migrator';
import { GracefulShutdown } from './realtime/graceful-shutdown';
import { MpqchtIoAdapter } from './realtime/io-adapter';
import { PushService } from './realtime/push.service';
import { originAllowed } from './web/allowed-origins';
import { WebClient } from './web/web-client';

const LOG_LEVELS: Record<LogLevel, NestLogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  verbose: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/**
 * Socket.IO frames above this are refused before parsing: the longest message anyone may send (the
 * most generous `max_message_length` in config.toml, see docs/permissions.md) plus headroom. Six
 * bytes per code point: JSON escapes a control character as `\u0001`.
 */
function maxFrameBytes(maxMessageLength: number): number {
  return Math.max(64 * 1024, maxMessageLength * 6 + 8 * 1024);
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    const env = loadEnv();
    config = new AppConfig(env, loadCommunityConfig(env.configPath));
    // Before anything is started or written: a port already taken (a second `npm start`) is the
    // most common reason not to start, and it used to show only after the embedded PostgreSQL had
    // started and the migrations had run, as a bare `listen EADDRINUSE`.
    await checkListenAddress(env.host, env.port);
  } catch (error) {
    if (
      error instanceof EnvError ||
      error instanceof CommunityConfigError ||
      error instanceof ListenAddressError
    ) {
      process.stderr.write(`mpqcht: cannot start.\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const consoleLogger = new ConsoleLogger({
    logLevels: LOG_LEVELS[config.env.logLevel],
    colors: isatty(1),
  });
  Logger.overrideLogger(consoleLogger);
  const logger = new Logger('mpqcht');

  let embedded: EmbeddedPostgres | undefined;
  let supervisor: EmbeddedPostgresSupervisor | null = null;
  let databaseUrl = config.env.databaseUrl;
  if (!databaseUrl) {
    embedded = new EmbeddedPostgres({
      dataDir: config.env.dataDir,
      log: (line) => {
        logger.log(line);
      },
    });
    process.once('exit', () => {
      embedded?.stopOnExit();
    });
    databaseUrl = await embedded.start();
    logger.log('embedded PostgreSQL is up');
    // From here on a postmaster that dies is restarted (it used to stay dead until the api was).
    supervisor = new EmbeddedPostgresSupervisor(embedded, new Logger('Database'));
  }

  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register(config, databaseUrl, supervisor),
    { logger: consoleLogger },
  );
  app.disable('x-powered-by');
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new ProtocolExceptionFilter(app.get(DatabaseAvailability)));
  app.useGlobalInterceptors(new EnvelopeInterceptor());
  const corsOrigin = (
    origin: string | undefined,
    callback: (error: Error | null, allow?: boolean) => void,
  ) => {
    callback(null, originAllowed(config.current.allowedOrigins, origin));
  };
  app.enableCors({ origin: corsOrigin, credentials: false });
  app.useWebSocketAdapter(
    new MpqchtIoAdapter(app, {
      maxHttpBufferSize: maxFrameBytes(mostGenerousLimits(config.current.permissions).maxMessageLength),
      serveClient: false,
      socketBacklogBytes: config.env.socketBacklogBytes,
      push: app.get(PushService),
      cors: { origin: corsOrigin, credentials: false },
      allowRequest: (request, callback) => {
        callback(null, originAllowed(config.current.allowedOrigins, request.headers.origin));
      },
    }),
  );
  const web = WebClient.load(path.resolve(__dirname, '../web/browser'), config.env.publicOrigin);
  if (web) app.use(...web.handlers());
  else logger.warn('the web client is not built (nx run web:build); serving the api only');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    void (async () => {
      // Finish what is being handled and send clients away with a reconnect hint (GracefulShutdown).
      await app.get(GracefulShutdown).shutdown();
      await app.close().catch((error: unknown) => {
        logger.error(String(error));
      });
      await supervisor?.stop();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.on('SIGINT', () => {
    stop('SIGINT');
  });

  // Before listen: it runs the modules' init hooks (the challenge sweeper, the config watcher), and
  // they must find the schema migrated.
  await app.get(Migrator).run();
  await app.listen(config.env.port, config.env.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.env.port;
  logger.log(`listening on http://${config.env.host}:${port} (public origin ${config.env.publicOrigin})`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `mpqcht: start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
