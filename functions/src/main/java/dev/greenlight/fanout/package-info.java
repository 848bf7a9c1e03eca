/**
 * Convergence of other serving instances: the signed refresh contract (sign and verify) and,
 * later, the fan-out to external API instances. Imports nothing from Azure Functions.
 */
package dev.greenlight.fanout;
