/**
 * Storage ports and local adapters: baseline pointers (optimistic writes) and the local
 * content-addressed artifact cache. Imports nothing from Azure Functions or serving.
 */
package dev.greenlight.store;
