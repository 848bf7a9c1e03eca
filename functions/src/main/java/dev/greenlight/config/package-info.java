/**
 * Settings: parsed once into a typed record. The only package that reads the environment
 * (through {@link dev.greenlight.config.HostSettings}). Imports nothing from Azure Functions.
 */
package dev.greenlight.config;
