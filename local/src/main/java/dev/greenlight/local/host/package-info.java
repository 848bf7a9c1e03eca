/**
 * The local host: runs the packaged Functions app from its staged folder
 * ({@code functions/target/azure-functions/<app>}) the way the Functions host and Java worker
 * would, so the app runs anywhere Java runs without Core Tools.
 *
 * <p>It owns: reading the generated {@code function.json} files and {@code host.json}
 * ({@link dev.greenlight.local.host.FunctionIndex}), loading the app jar and its {@code lib/} in an
 * isolated class loader, binding entry-point parameters, the one route table built from those
 * files, function/admin/system keys, the Event Grid webhook at
 * {@code /runtime/webhooks/eventgrid}, NCRONTAB timers, and {@code local.settings.json}.
 *
 * <p>It must not import application packages ({@code dev.greenlight.functions} and the domain
 * packages): the app is reached only through its {@code function.json} entry points and the one
 * documented settings hook ({@link dev.greenlight.local.host.HostSettingsHook}). The only Azure
 * Functions types it uses are those of {@code com.microsoft.azure.functions}, which it shares
 * with the app.
 */
package dev.greenlight.local.host;
