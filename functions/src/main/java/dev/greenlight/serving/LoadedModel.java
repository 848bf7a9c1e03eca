package dev.greenlight.serving;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * One version of a model in an ONNX Runtime session, owned by the cache. Requests hold a lease
 * (a reference count) while they run; after a swap the cache retires the old version, and the
 * session is closed exactly once, when its last lease is returned.
 */
public final class LoadedModel {
    private static final Logger LOG = Logger.getLogger(LoadedModel.class.getName());

    private final String model;
    private final String version;
    private final String sha256;
    private final long generation;
    private final OrtSession session;
    private final ModelSignature signature;
    private final List<String> labels;
    private final Instant loadedAt;
    /** 1 for the cache's own reference plus 1 per in-flight request; 0 means closed. */
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicInteger closes = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();

    LoadedModel(String model, String version, String sha256, long generation, OrtSession session,
                ModelSignature signature, List<String> labels, Instant loadedAt) {
        this.model = model;
        this.version = version;
        this.sha256 = sha256;
        this.generation = generation;
        this.session = session;
        this.signature = signature;
        this.labels = List.copyOf(labels);
        this.loadedAt = loadedAt;
    }

    /** Takes a lease; false when the model was retired and drained meanwhile. */
    boolean tryAcquire() {
        for (int n = references.get(); n > 0; n = references.get()) {
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Returns a lease; the last one out closes the session. */
    void release() {
        if (references.decrementAndGet() == 0) {
            close();
        }
    }

    /** Drops the cache's own reference: the session closes once in-flight requests finish. */
    public void retire() {
        release();
    }

    private void close() {
        if (closes.incrementAndGet() != 1) {
            throw new IllegalStateException("session of " + model + ":" + version + " closed twice");
        }
        try {
            session.close();
            LOG.info(() -> "closed session of " + model + ":" + version);
        } catch (OrtException e) {
            LOG.warning(() -> "closing session of " + model + ":" + version + " failed: " + e.getMessage());
        }
    }

    OrtSession.Result run(Map<String, OnnxTensor> inputs, Set<String> outputs) throws OrtException {
        return outputs.isEmpty() ? session.run(inputs) : session.run(inputs, outputs);
    }

    void countRequest(boolean failed) {
        requests.increment();
        if (failed) {
            errors.increment();
        }
    }

    public String model() {
        return model;
    }

    public String version() {
        return version;
    }

    public String sha256() {
        return sha256;
    }

    public long generation() {
        return generation;
    }

    public ModelSignature signature() {
        return signature;
    }

    /** Class labels from the model's {@code labels} metadata, in output column order; may be empty. */
    public List<String> labels() {
        return labels;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public long requests() {
        return requests.sum();
    }

    public long errors() {
        return errors.sum();
    }

    /** How many times the session was closed: 0 while serving or draining, then exactly 1. */
    public int closeCount() {
        return closes.get();
    }
}
