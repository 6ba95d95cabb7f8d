import {
  DEV_ENV_FILE,
  DEV_TOKEN_USAGE,
  DevTokenSetupError,
  UsageError,
  loadDevTokenConfig,
  parseDevTokenArgs,
  signDevToken,
} from './dev-token';

function main(): void {
  if (process.env.NODE_ENV === 'production') {
    console.error(
      "dev-token: refusing to run with NODE_ENV=production; production tokens come from the bank's identity provider",
    );
    process.exit(1);
  }
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(DEV_TOKEN_USAGE);
    return;
  }
  try {
    const { claims, ttlSeconds } = parseDevTokenArgs(argv);
    const config = loadDevTokenConfig(process.env, DEV_ENV_FILE);
    process.stdout.write(`${signDevToken(claims, config, ttlSeconds)}\n`);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`dev-token: ${error.message}\n\n${DEV_TOKEN_USAGE}`);
      process.exit(2);
    }
    if (error instanceof DevTokenSetupError) {
      console.error(`dev-token: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

main();
