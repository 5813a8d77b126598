/**
 * Jest setup file: the suite asserts exact datagrams, which must not depend on the machine it
 * runs on. Origin detection would add the machine's container ID (`|c:`) wherever the tests run
 * in a container, so the environment turns that part off, as a user would with
 * `DD_ORIGIN_DETECTION_ENABLED=false`. The origin e2e turns it back on through its options.
 */
process.env.DD_ORIGIN_DETECTION_ENABLED = 'false';
delete process.env.DD_ENTITY_ID;
delete process.env.DD_EXTERNAL_ENV;
