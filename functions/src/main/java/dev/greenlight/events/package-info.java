/**
 * Azure ML events from Event Grid: parsing both schemas and both key casings with the Event
 * Grid SDK, reduced to what promotion needs. Imports nothing from Azure Functions.
 */
package dev.greenlight.events;
