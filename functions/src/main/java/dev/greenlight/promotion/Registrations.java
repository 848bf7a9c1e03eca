package dev.greenlight.promotion;

import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.Digests;
import java.nio.charset.StandardCharsets;

/**
 * A registration is one version as the registry created it: model, version and creation time
 * (a version deleted and registered again under the same number is a new registration). An
 * event, the sync check and an operator all name the same registration, so deduplicating by it,
 * not by event id, keeps a late event from judging again what was already judged.
 */
final class Registrations {
    private Registrations() {
    }

    static String key(ModelVersion version) {
        return version.model() + "/" + version.version() + "@" + version.createdAt();
    }

    /** A stable, file-safe id for the automatic decision on a registration. */
    static String decisionId(String registrationKey) {
        return "reg-" + hash(registrationKey);
    }

    /** A stable, file-safe id for the decision an operator's request asks for. */
    static String requestDecisionId(String model, String requestId) {
        return "req-" + hash(model + "/" + requestId);
    }

    /** A stable, file-safe id for a decision an event asks for that judges no registration. */
    static String eventDecisionId(String eventKey) {
        return "evt-" + hash(eventKey);
    }

    static String hash(String text) {
        return Digests.sha256(text.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }
}
