package dev.greenlight.local.host;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A function's resolved entry point: its method handle, how each parameter is filled, and a
 * fresh instance of its class per invocation, as the Java worker does. Everything reflective
 * happens once, in {@link #resolve}; an invocation only fills an array and calls two handles.
 */
final class EntryPoint {

    /** Where a parameter's value comes from. */
    private enum Source { REQUEST, REQUEST_STRING_BODY, ROUTE_VALUE, PAYLOAD, CONTEXT }

    private final FunctionDefinition definition;
    private final Logger logger;
    private final MethodHandle constructor; // ()Object, or null for a static method
    private final MethodHandle method;      // (Object target, Object[] args)Object
    private final Source[] sources;
    private final String[] routeNames;

    private EntryPoint(FunctionDefinition definition, MethodHandle constructor, MethodHandle method,
                       Source[] sources, String[] routeNames) {
        this.definition = definition;
        this.logger = Logger.getLogger("Function." + definition.name());
        this.constructor = constructor;
        this.method = method;
        this.sources = sources;
        this.routeNames = routeNames;
    }

    FunctionDefinition definition() {
        return definition;
    }

    String name() {
        return definition.name();
    }

    /** A context for a new invocation, whose logger is named {@code Function.<name>}. */
    LocalExecutionContext newContext() {
        return new LocalExecutionContext(definition.name(), logger);
    }

    /**
     * Calls the function.
     *
     * @return what the method returned (null for void)
     * @throws Throwable whatever the function threw
     */
    Object invoke(Invocation invocation) throws Throwable {
        Object[] args = new Object[sources.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = switch (sources[i]) {
                case REQUEST -> invocation.request();
                case REQUEST_STRING_BODY -> invocation.request().withStringBody();
                case ROUTE_VALUE -> routeValue(invocation, routeNames[i]);
                case PAYLOAD -> invocation.payload();
                case CONTEXT -> invocation.context();
            };
        }
        Object target = constructor == null ? null : (Object) constructor.invokeExact();
        return (Object) method.invokeExact(target, args);
    }

    // @BindingName on an HTTP function names a route parameter; the host's binding data also
    // holds the query values, so a name that is not in the route falls back to the query.
    private static String routeValue(Invocation invocation, String name) {
        String value = invocation.routeValues().get(name);
        if (value == null && invocation.request() != null) {
            value = invocation.request().getQueryParameters().get(name);
        }
        return value;
    }

    /**
     * Loads the entry point's class from {@code loader} and checks that the host can fill every
     * parameter.
     *
     * @throws LocalHostException naming the function and the parameter it cannot bind
     */
    static EntryPoint resolve(FunctionDefinition definition, ClassLoader loader) {
        String where = "function " + definition.name() + " (" + definition.className() + "."
                + definition.methodName() + ")";
        Class<?> type;
        try {
            type = Class.forName(definition.className(), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new LocalHostException(where + ": cannot load class " + definition.className() + " from "
                    + definition.scriptFile().getFileName() + " or lib/: " + e, e);
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new LocalHostException(where + ": class " + type.getName() + " must be public");
        }
        Method m = findMethod(type, definition.methodName(), where);
        Parameter[] params = m.getParameters();
        Source[] sources = new Source[params.length];
        String[] routeNames = new String[params.length];
        for (int i = 0; i < params.length; i++) {
            sources[i] = sourceOf(params[i], i, definition.trigger().kind(), where);
            BindingName bindingName = params[i].getAnnotation(BindingName.class);
            routeNames[i] = bindingName == null ? null : bindingName.value();
        }
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            MethodHandle handle = lookup.unreflect(m);
            MethodHandle constructor = null;
            if (Modifier.isStatic(m.getModifiers())) {
                handle = MethodHandles.dropArguments(handle, 0, Object.class);
            } else {
                constructor = lookup.findConstructor(type, MethodType.methodType(void.class))
                        .asType(MethodType.methodType(Object.class));
            }
            handle = handle.asType(MethodType.genericMethodType(params.length + 1))
                    .asSpreader(Object[].class, params.length);
            return new EntryPoint(definition, constructor, handle, sources, routeNames);
        } catch (NoSuchMethodException e) {
            throw new LocalHostException(where + ": class " + type.getName()
                    + " needs a public no-argument constructor (the host creates one instance per invocation)");
        } catch (IllegalAccessException e) {
            throw new LocalHostException(where + ": cannot access the entry point: " + e.getMessage(), e);
        }
    }

    private static Method findMethod(Class<?> type, String name, String where) {
        List<Method> candidates = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name))
                .toList();
        if (candidates.size() > 1) {
            // Overloads: the entry point is the one that takes a trigger.
            candidates = candidates.stream().filter(EntryPoint::hasTriggerParameter).toList();
        }
        if (candidates.size() != 1) {
            throw new LocalHostException(where + ": expected one public method " + name + " in " + type.getName()
                    + ", found " + candidates.size());
        }
        return candidates.get(0);
    }

    private static boolean hasTriggerParameter(Method m) {
        return Arrays.stream(m.getParameters()).anyMatch(p -> p.isAnnotationPresent(HttpTrigger.class)
                || p.isAnnotationPresent(EventGridTrigger.class) || p.isAnnotationPresent(TimerTrigger.class));
    }

    private static Source sourceOf(Parameter p, int index, FunctionDefinition.TriggerKind kind, String where) {
        String param = "parameter #" + index + " (" + p.getParameterizedType().getTypeName() + " " + p.getName() + ")";
        if (p.isAnnotationPresent(HttpTrigger.class)) {
            require(kind == FunctionDefinition.TriggerKind.HTTP, where, param, "@HttpTrigger on a " + kind + " function");
            require(p.getType() == HttpRequestMessage.class, where, param, "@HttpTrigger needs HttpRequestMessage");
            return isStringBody(p.getParameterizedType()) ? Source.REQUEST_STRING_BODY : requireOptionalString(p, where, param);
        }
        if (p.isAnnotationPresent(BindingName.class)) {
            require(kind == FunctionDefinition.TriggerKind.HTTP, where, param,
                    "@BindingName is bound to route parameters of HTTP functions only");
            require(p.getType() == String.class, where, param, "@BindingName needs String");
            return Source.ROUTE_VALUE;
        }
        if (p.isAnnotationPresent(EventGridTrigger.class)) {
            require(kind == FunctionDefinition.TriggerKind.EVENT_GRID, where, param, "@EventGridTrigger on a " + kind + " function");
            require(p.getType() == String.class, where, param, "@EventGridTrigger is bound as the event's JSON String");
            return Source.PAYLOAD;
        }
        if (p.isAnnotationPresent(TimerTrigger.class)) {
            require(kind == FunctionDefinition.TriggerKind.TIMER, where, param, "@TimerTrigger on a " + kind + " function");
            require(p.getType() == String.class, where, param, "@TimerTrigger is bound as the timer info JSON String");
            return Source.PAYLOAD;
        }
        if (p.getType() == ExecutionContext.class) {
            return Source.CONTEXT;
        }
        throw new LocalHostException(where + ": cannot bind " + param + "; the local host binds @HttpTrigger,"
                + " @BindingName, @EventGridTrigger, @TimerTrigger and ExecutionContext parameters");
    }

    private static Source requireOptionalString(Parameter p, String where, String param) {
        Type t = p.getParameterizedType();
        boolean ok = t == HttpRequestMessage.class; // raw: the body is an Optional<String> all the same
        if (t instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] instanceof ParameterizedType body) {
            ok = body.getRawType() == Optional.class && body.getActualTypeArguments()[0] == String.class;
        }
        require(ok, where, param, "@HttpTrigger needs HttpRequestMessage<Optional<String>> or HttpRequestMessage<String>");
        return Source.REQUEST;
    }

    private static boolean isStringBody(Type t) {
        return t instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] == String.class;
    }

    private static void require(boolean ok, String where, String param, String why) {
        if (!ok) {
            throw new LocalHostException(where + ": cannot bind " + param + ": " + why);
        }
    }
}
