// Kept so the old `bench` script still works: the start-up benchmark now lives in bench/startup.mjs
// (and `npm run bench` runs all of them through bench/run.mjs).
const { main } = await import('./startup.mjs');
process.stdout.write(`${(await main()).markdown}\n`);
