/**
 * The model registry port and its adapters. Owns how versions, tags and metrics are found;
 * imports nothing from Azure Functions or serving.
 */
package dev.greenlight.registry;
