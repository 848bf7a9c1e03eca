/**
 * The Azure Blob Storage adapter of the {@link dev.greenlight.store.DocumentStore} port: one
 * block blob per document in one container, optimistic writes with the blob's ETag
 * ({@code If-Match}, or {@code If-None-Match: *} for a new document) and polling with a single
 * conditional {@code GET} ({@code If-None-Match}).
 *
 * <p>It owns the mapping of the Storage SDK's errors to the store's: a lost race (412, 409
 * {@code BlobAlreadyExists}) becomes {@link dev.greenlight.store.StoreConflict}, everything else
 * the service or the transport reports becomes {@link dev.greenlight.store.StoreUnavailable}
 * with the status, the error code and the cause. No SDK type crosses the port; the SDK's client
 * only appears in the constructor, where the composition root (or a test) hands it in.
 *
 * <p>Imports nothing from Azure Functions, serving or the composition root.
 */
package dev.greenlight.store.blob;
