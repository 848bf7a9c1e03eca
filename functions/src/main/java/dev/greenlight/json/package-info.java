/** The shared JSON mapper. Imports nothing from Azure Functions. */
package dev.greenlight.json;
