/**
 * The composition root: wires settings, stores, registry and serving together once per
 * process. Imports nothing from Azure Functions.
 */
package dev.greenlight.app;
