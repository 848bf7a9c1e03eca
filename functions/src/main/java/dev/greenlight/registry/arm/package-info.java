/**
 * The Azure ML adapter of the registry port: model versions of a workspace or a registry read and
 * retagged through Azure Resource Manager's REST API, and their artifacts downloaded from the
 * datastore or storage account their {@code modelUri} names. New versions are registered into a
 * workspace by uploading the file to its default datastore and PUTting the version.
 *
 * <p>It owns the ARM request shapes (paths, {@code api-version}, paging by {@code nextLink}, whole-body
 * PUTs, asynchronous-operation polling), the pipeline that carries them (bearer token, retries honouring
 * {@code Retry-After}) and the mapping of ARM JSON to {@link dev.greenlight.registry.ModelVersion}.
 * HTTP and SDK errors become registry errors here, at the edge: 404 means "absent", 401/403 an
 * {@link dev.greenlight.registry.arm.ArmAccessDenied}, anything else after retries an
 * {@link dev.greenlight.registry.arm.ArmException} (an {@link dev.greenlight.errors.Unavailable}, 503
 * {@code registry_*}) carrying the status and ARM's error code and message. No azure-core, storage SDK or HTTP type crosses the port.
 *
 * <p>Imports nothing from Azure Functions, serving or the composition root.
 */
package dev.greenlight.registry.arm;
