/**
 * A tiny Functions app for the local host's tests. The tests package these classes into a jar
 * in a temporary folder with hand-written function.json files, and run the host against it; the
 * host loads them in their own class loader, so tests observe them only over HTTP and through
 * their ExecutionContext loggers.
 */
package dev.greenlight.local.host.testapp;
