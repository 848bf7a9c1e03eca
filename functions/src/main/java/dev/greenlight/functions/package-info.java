/**
 * Azure Functions entry points: thin adapters that parse the trigger, call one service and
 * map the result. The only package that imports {@code com.microsoft.azure.functions}.
 */
package dev.greenlight.functions;
