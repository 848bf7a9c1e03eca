/**
 * The Greenlight exception hierarchy and the single mapper from error kind to HTTP status and
 * {@code {"error","detail"}} body. Imports nothing from Azure Functions.
 */
package dev.greenlight.errors;
