// Run as a child process by the tests: migrates the directory argv[3] with plain knex on the database argv[2] (JSON
// connection settings) and is killed (kill -9) by the test while the slow migration runs, as a replica that crashes
// mid-migration.
const knexFactory = require('knex');

const knex = knexFactory({
  client: 'pg',
  connection: JSON.parse(process.argv[2]),
});
knex.migrate.latest({ directory: process.argv[3] }).then(
  () => process.exit(0),
  () => process.exit(1),
);
