/**
 * Benchmarks of the packaged app on the local host: serving overhead against in-process ONNX
 * Runtime (P1), hot swap under load (P2) and start to first prediction (P6). Plain main
 * programs started by {@code bench/run.sh}; nothing here runs during the build but the unit
 * tests of the statistics. Owns its load generator, raw HTTP client and child-process handling;
 * uses the app's registry and pointer store only to seed data folders.
 */
package dev.greenlight.bench;
