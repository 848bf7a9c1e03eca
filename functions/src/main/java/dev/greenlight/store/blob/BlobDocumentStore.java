package dev.greenlight.store.blob;

import com.azure.core.credential.TokenCredential;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.greenlight.store.DocumentNames;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.OutageLog;
import dev.greenlight.store.StoreConflict;
import dev.greenlight.store.StoreUnavailable;
import dev.greenlight.store.Versioned;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Documents as block blobs in one container, with the ETags exactly as the service sends them
 * (Azure quotes them, {@code "0x8DC0A1B2C3D4E5F"}; Azurite does not): callers hand them back
 * unchanged, and the service compares them.
 *
 * <ul>
 *   <li>{@link #readIfChanged} is one {@code GET} with {@code If-None-Match}: the service answers
 *       304 without a body while the document is unchanged, so polling costs one small request.
 *   <li>{@link #write} is one {@code Put Blob} with {@code If-Match: <expected>}, or
 *       {@code If-None-Match: *} for a new document; the service rejects it atomically when
 *       another writer got there first (412, or 409 {@code BlobAlreadyExists}).
 *   <li>The container is created on the first write that finds it missing, so a fresh storage
 *       account needs no setup step; reads of a missing container see no documents.
 *   <li>Every call ends within its {@link Budget} (about 6.3 s by default), answered or not, as
 *       {@link StoreUnavailable} when the service is down or hangs; an outage is logged once
 *       when it starts and once when it ends ({@link OutageLog}), never once per call.
 * </ul>
 */
public final class BlobDocumentStore implements DocumentStore {
    private static final String CONTENT_TYPE = "application/json";
    private static final Logger LOG = Logger.getLogger(BlobDocumentStore.class.getName());

    /**
     * How long one store call may take. Event Grid gives a delivery 30 s, and a delivery makes a
     * few store calls, so one call must end well inside that whether the service answers or not.
     * Documents are a few KB: a healthy account answers in milliseconds, so a try that has not
     * answered in {@code perTry} is hung, not slow. (The SDK's own default waits minutes: 4 tries of
     * up to 60 s each.) A caller that meets {@link StoreUnavailable} (a poll, an Event Grid delivery)
     * retries on its own schedule anyway.
     *
     * <p>The tries bound the call; the SDK's per-call {@code timeout} argument is not used, because
     * it moves every call onto the SDK's shared executor, whose threads outlive the app (on the local
     * host they then fail to load classes once the app's class loader has closed).
     *
     * @param perTry     one HTTP attempt, from sending to the last byte of the answer (signing included)
     * @param tries      attempts in all (1 + retries), on timeouts, connection errors, 408, 429 and 5xx
     * @param retryDelay the pause before the first retry (doubling, at most 1 s)
     */
    public record Budget(Duration perTry, int tries, Duration retryDelay) {
        private static final Duration MAX_DELAY = Duration.ofSeconds(1); // before DEFAULT, which checks against it
        /** 3 s per try, 2 tries, 0.25 s between: a hung account fails a call after about 6.3 s. */
        public static final Budget DEFAULT = new Budget(Duration.ofSeconds(3), 2, Duration.ofMillis(250));

        public Budget {
            if (perTry.isNegative() || perTry.isZero() || tries < 1 || retryDelay.isNegative()
                    || retryDelay.compareTo(MAX_DELAY) > 0) {
                throw new IllegalArgumentException("invalid store budget: " + perTry + " per try, " + tries
                        + " tries, " + retryDelay + " between");
            }
        }

        /** The longest a call can take: every try timing out, with the pauses between them. */
        public Duration worstCase() {
            Duration total = perTry.multipliedBy(tries);
            Duration delay = retryDelay;
            for (int retry = 1; retry < tries; retry++) {
                total = total.plus(delay);
                delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
            }
            return total;
        }

        RequestRetryOptions retryOptions() {
            return new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, tries, perTry, retryDelay, MAX_DELAY, null);
        }
    }

    private final BlobContainerClient container;
    private final Budget budget;
    private final OutageLog outages;

    /**
     * @param container the container holding the documents; it need not exist yet. Built by
     *                  {@link #client} it retries within {@link Budget#DEFAULT}
     */
    public BlobDocumentStore(BlobContainerClient container) {
        this(container, Budget.DEFAULT, Clock.systemUTC());
    }

    /** @param budget the budget the client was built with (see {@link #client}), for messages */
    BlobDocumentStore(BlobContainerClient container, Budget budget, Clock clock) {
        this.container = Objects.requireNonNull(container, "container");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.outages = new OutageLog(LOG, "the store " + where(), clock);
    }

    /**
     * A client for a container URL ({@code https://<account>.blob.core.windows.net/<container>})
     * signed in with {@code credential} (a managed identity in Azure).
     */
    public static BlobContainerClient client(String containerUrl, TokenCredential credential) {
        return new BlobContainerClientBuilder()
                .endpoint(containerUrl)
                .credential(credential)
                .retryOptions(Budget.DEFAULT.retryOptions())
                .buildClient();
    }

    /** A client for {@code container} in the account of a connection string (Azurite, shared keys). */
    public static BlobContainerClient client(String connectionString, String container) {
        return new BlobContainerClientBuilder()
                .connectionString(connectionString)
                .containerName(container)
                .retryOptions(Budget.DEFAULT.retryOptions())
                .buildClient();
    }

    @Override
    public Optional<Versioned<byte[]>> read(String name) {
        return readIfChanged(name, null);
    }

    @Override
    public Optional<Versioned<byte[]>> readIfChanged(String name, String knownEtag) {
        var blob = container.getBlobClient(DocumentNames.checked(name));
        BlobRequestConditions conditions = knownEtag == null ? null : new BlobRequestConditions().setIfNoneMatch(knownEtag);
        try {
            BlobDownloadContentResponse response = blob.downloadContentWithResponse(null, conditions, null,
                    Context.NONE);
            outages.succeeded();
            return Optional.of(new Versioned<>(response.getValue().toBytes(), response.getDeserializedHeaders().getETag()));
        } catch (BlobStorageException e) {
            // 304: unchanged since knownEtag. 404: no such blob, or no container yet.
            if (e.getStatusCode() == 304 || e.getStatusCode() == 404) {
                outages.succeeded();
                return Optional.empty();
            }
            throw unavailable("read", name, e);
        } catch (RuntimeException e) {
            throw unavailable("read", name, e);
        }
    }

    @Override
    public String write(String name, byte[] content, String expectedEtag) {
        BlockBlobSimpleUploadOptions upload = new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                .setHeaders(new BlobHttpHeaders().setContentType(CONTENT_TYPE))
                .setContentMd5(md5(content)) // the service rejects a body damaged on the way
                .setRequestConditions(expectedEtag == null
                        ? new BlobRequestConditions().setIfNoneMatch("*")
                        : new BlobRequestConditions().setIfMatch(expectedEtag));
        var blob = container.getBlobClient(DocumentNames.checked(name)).getBlockBlobClient();
        try {
            String etag;
            try {
                etag = blob.uploadWithResponse(upload, null, Context.NONE).getValue().getETag();
            } catch (BlobStorageException e) {
                if (expectedEtag != null || !BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                    throw e;
                }
                createContainer();
                etag = blob.uploadWithResponse(upload, null, Context.NONE).getValue().getETag();
            }
            outages.succeeded();
            return etag;
        } catch (BlobStorageException e) {
            if (lostRace(e, expectedEtag)) {
                outages.succeeded(); // the service answered: it is up
                throw new StoreConflict(expectedEtag == null
                        ? name + " already exists in " + where() + " (" + statusAndCode(e) + ")"
                        : name + " in " + where() + " changed since ETag " + expectedEtag + " (" + statusAndCode(e) + ")");
            }
            throw unavailable("write", name, e);
        } catch (RuntimeException e) {
            throw unavailable("write", name, e);
        }
    }

    private static boolean lostRace(BlobStorageException e, String expectedEtag) {
        BlobErrorCode code = e.getErrorCode();
        if (e.getStatusCode() == 412 || BlobErrorCode.CONDITION_NOT_MET.equals(code)
                || BlobErrorCode.BLOB_ALREADY_EXISTS.equals(code)) {
            return true;
        }
        // A write that expects a version of a document that no longer exists (deleted, or its
        // container is gone) lost as well: the ETag it read is not the stored one.
        return expectedEtag != null && (BlobErrorCode.BLOB_NOT_FOUND.equals(code)
                || BlobErrorCode.CONTAINER_NOT_FOUND.equals(code));
    }

    /** Creates the container; another writer creating it first is just as good. */
    private void createContainer() {
        try {
            container.create();
        } catch (BlobStorageException e) {
            if (!BlobErrorCode.CONTAINER_ALREADY_EXISTS.equals(e.getErrorCode())) {
                throw e;
            }
        }
    }

    /** Logs the outage (once) and names the store, the operation, the document and why. */
    private StoreUnavailable unavailable(String operation, String name, RuntimeException e) {
        String why = e instanceof BlobStorageException b ? statusAndCode(b) : describe(e);
        outages.failed("cannot " + operation + " " + name + ": " + why);
        return new StoreUnavailable("the store " + where() + " cannot " + operation + " " + name + ": " + why, e);
    }

    private static String statusAndCode(BlobStorageException e) {
        return e.getStatusCode() + " " + (e.getErrorCode() == null ? "(no error code)" : e.getErrorCode());
    }

    // Transport failures arrive wrapped (reactor, UncheckedIOException): name the root cause, and
    // say "no answer" for a timeout, whose own message is reactor's.
    private String describe(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return "no answer in time (" + budget.perTry().toMillis() + " ms per try, " + budget.tries()
                        + " tries)";
            }
            root = t;
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root.getClass().getSimpleName() + message;
    }

    private String where() {
        return container.getAccountName() + "/" + container.getBlobContainerName();
    }

    private static byte[] md5(byte[] content) {
        try {
            return MessageDigest.getInstance("MD5").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}
