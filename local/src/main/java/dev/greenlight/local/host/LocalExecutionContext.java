package dev.greenlight.local.host;

import com.microsoft.azure.functions.ExecutionContext;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/** The {@code ExecutionContext} of one invocation. */
final class LocalExecutionContext implements ExecutionContext {

    private final String functionName;
    private final Logger logger;
    private String invocationId;

    LocalExecutionContext(String functionName, Logger logger) {
        this.functionName = functionName;
        this.logger = logger;
    }

    @Override
    public Logger getLogger() {
        return logger;
    }

    @Override
    public synchronized String getInvocationId() {
        // Made on first use: most invocations never ask, and UUID.randomUUID() goes through the
        // shared SecureRandom. An id only has to be unique, not unpredictable.
        if (invocationId == null) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            long msb = (r.nextLong() & ~0xF000L) | 0x4000L;                  // version 4
            long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
            invocationId = new UUID(msb, lsb).toString();
        }
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }
}
