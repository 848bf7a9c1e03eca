/**
 * The promotion gate: a declarative policy and the checks it runs on a candidate. Pure
 * decisions on values; imports nothing from Azure Functions, stores or registries.
 */
package dev.greenlight.gate;
