package io.sessionstate.example;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages with the status's reason phrase in place of any message: an exception's text
 * may name classes, fields or stored data, and a visitor never sees it. One handler for the server
 * (errors outside the demo's context) and one for the Servlet context (exceptions from a page).
 */
final class QuietErrors {
  private QuietErrors() {}

  static ErrorHandler forServer() {
    ErrorHandler handler =
        new ErrorHandler() {
          @Override
          protected boolean generateAcceptableResponse(
              Request request,
              Response response,
              Callback callback,
              String contentType,
              List<Charset> charsets,
              int code,
              String message,
              Throwable cause)
              throws IOException {
            return super.generateAcceptableResponse(
                request, response, callback, contentType, charsets, code, reason(code), null);
          }
        };
    return quiet(handler);
  }

  static ErrorHandler forServlets() {
    ErrorHandler handler =
        new org.eclipse.jetty.ee10.servlet.ErrorHandler() {
          @Override
          protected boolean generateAcceptableResponse(
              Request request,
              Response response,
              Callback callback,
              String contentType,
              List<Charset> charsets,
              int code,
              String message,
              Throwable cause)
              throws IOException {
            return super.generateAcceptableResponse(
                request, response, callback, contentType, charsets, code, reason(code), null);
          }
        };
    return quiet(handler);
  }

  private static ErrorHandler quiet(ErrorHandler handler) {
    handler.setShowStacks(false);
    handler.setShowCauses(false);
    handler.setShowMessageInTitle(false);
    return handler;
  }

  private static String reason(int code) {
    String reason = HttpStatus.getMessage(code);
    return reason == null ? "Error" : reason;
  }
}
