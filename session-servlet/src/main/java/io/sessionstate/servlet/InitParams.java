package io.sessionstate.servlet;

import io.sessionstate.SessionManager;
import io.sessionstate.servlet.SessionFilter.CommitFailure;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.util.EventListener;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Reads a {@link SessionFilter}'s {@code web.xml} init-params: where its manager comes from, and
 * its {@link FilterOptions}. Every error is a {@link ServletException} that names the init-param,
 * the rule and the value, so that the container reports it when it starts the filter.
 */
final class InitParams {

  /** A manager and whether the filter owns it, and so closes it in {@code destroy()}. */
  record ManagerSource(SessionManager manager, boolean owned) {}

  private InitParams() {}

  /**
   * The manager made by the {@code manager-factory} class, which the filter owns; or else the one
   * in the servlet context attribute named by {@code manager-attribute}, which it does not.
   */
  static ManagerSource manager(FilterConfig config) throws ServletException {
    String factory = config.getInitParameter("manager-factory");
    if (factory != null) {
      return new ManagerSource(instantiate(factory, "manager-factory", SessionManager.class), true);
    }
    String attribute = param(config, "manager-attribute", SessionFilter.MANAGER_ATTRIBUTE);
    Object found = config.getServletContext().getAttribute(attribute);
    if (!(found instanceof SessionManager)) {
      throw new ServletException(
          "SessionFilter needs a SessionManager: set the init-param manager-factory, or put one"
              + " in the servlet context attribute '"
              + attribute
              + "' (found "
              + (found == null ? "nothing" : found.getClass().getName())
              + ")");
    }
    return new ManagerSource((SessionManager) found, false);
  }

  /** The {@code listeners}, {@code commit-failure} and {@code trust-forwarded-proto} params. */
  static FilterOptions options(FilterConfig config) throws ServletException {
    if (config.getInitParameter("value-codec-factory") != null) {
      throw new ServletException(
          "init-param value-codec-factory is not supported: attribute values use the"
              + " SessionManager's codec; set SessionManager.Builder.valueCodec(...)");
    }
    FilterOptions options = new FilterOptions();
    String names = config.getInitParameter("listeners");
    if (names != null) {
      for (String name : names.split(",")) {
        if (!name.isBlank()) {
          options.listener(listener(name.strip()));
        }
      }
    }
    String failure = param(config, "commit-failure", "respond-503");
    options.commitFailure(
        switch (failure.strip().toLowerCase(Locale.ROOT)) {
          case "respond-503" -> CommitFailure.RESPOND_503;
          case "log-and-continue" -> CommitFailure.LOG_AND_CONTINUE;
          default ->
              throw new ServletException(
                  "init-param commit-failure must be respond-503 or log-and-continue: " + failure);
        });
    String trust = param(config, "trust-forwarded-proto", "false");
    options.trustForwardedProto(
        switch (trust.strip().toLowerCase(Locale.ROOT)) {
          case "true" -> true;
          case "false" -> false;
          default ->
              throw new ServletException(
                  "init-param trust-forwarded-proto must be true or false: " + trust);
        });
    return options;
  }

  private static String param(FilterConfig config, String name, String fallback) {
    String value = config.getInitParameter(name);
    return value == null ? fallback : value;
  }

  private static EventListener listener(String className) throws ServletException {
    Object listener;
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      listener = Class.forName(className, true, loader).getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new ServletException(
          "init-param listeners must name classes with a public no-argument constructor: "
              + className,
          e);
    }
    if (!(listener instanceof EventListener l) || !SessionListeners.isSupported(l)) {
      throw new ServletException(
          "init-param listeners: "
              + className
              + " implements none of HttpSessionListener, HttpSessionAttributeListener and"
              + " HttpSessionIdListener");
    }
    return l;
  }

  private static <T> T instantiate(String className, String param, Class<T> type)
      throws ServletException {
    Object supplier;
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Class<?> c = Class.forName(className.strip(), true, loader);
      supplier = c.getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new ServletException(
          "init-param "
              + param
              + " must name a class with a public no-argument constructor: "
              + className,
          e);
    }
    if (!(supplier instanceof Supplier<?> s)) {
      throw new ServletException(
          "init-param " + param + " must name a java.util.function.Supplier: " + className);
    }
    Object value = s.get();
    if (!type.isInstance(value)) {
      throw new ServletException(
          "init-param "
              + param
              + ": "
              + className
              + " supplied "
              + (value == null ? "null" : value.getClass().getName())
              + ", not a "
              + type.getName());
    }
    return type.cast(value);
  }
}
