package io.sessionstate.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import org.jspecify.annotations.Nullable;

/**
 * The response the application sees: every path by which bytes or a status can reach the client
 * (the output stream, the writer, {@code flushBuffer}, {@code sendError}, {@code sendRedirect})
 * commits the session first, so its {@code Set-Cookie} header goes out with the first byte and a
 * failed commit can still become a 503. After such a failure, what the application writes is
 * dropped.
 */
final class CommittingResponse extends HttpServletResponseWrapper {
  private final RequestCycle cycle;
  private @Nullable ServletOutputStream stream;
  private @Nullable PrintWriter writer;

  CommittingResponse(HttpServletResponse response, RequestCycle cycle) {
    super(response);
    this.cycle = cycle;
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      stream = new CommittingStream(super.getOutputStream(), cycle);
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      writer = new PrintWriter(new CommittingWriter(super.getWriter(), cycle), false);
    }
    return writer;
  }

  @Override
  public void flushBuffer() throws IOException {
    if (cycle.beforeOutput()) {
      super.flushBuffer();
    }
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    if (cycle.beforeOutput()) {
      super.sendError(sc, msg);
    }
  }

  @Override
  public void sendError(int sc) throws IOException {
    if (cycle.beforeOutput()) {
      super.sendError(sc);
    }
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    if (cycle.beforeOutput()) {
      super.sendRedirect(location);
    }
  }

  // Servlet 6.1's wrapper passes these two overloads straight to the container, around the
  // overrides above, so each must pass through the commit as well.
  @Override
  public void sendRedirect(String location, int sc) throws IOException {
    if (cycle.beforeOutput()) {
      super.sendRedirect(location, sc);
    }
  }

  @Override
  public void sendRedirect(String location, boolean clearBuffer) throws IOException {
    if (cycle.beforeOutput()) {
      super.sendRedirect(location, clearBuffer);
    }
  }

  @Override
  public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
    if (cycle.beforeOutput()) {
      super.sendRedirect(location, sc, clearBuffer);
    }
  }

  // Once a failed commit has put the 503 in place, the application must not change it.

  @Override
  public void setStatus(int sc) {
    if (!cycle.failed()) {
      super.setStatus(sc);
    }
  }

  @Override
  public void setHeader(String name, String value) {
    if (!cycle.failed()) {
      super.setHeader(name, value);
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (!cycle.failed()) {
      super.addHeader(name, value);
    }
  }

  @Override
  public void setContentType(String type) {
    if (!cycle.failed()) {
      super.setContentType(type);
    }
  }

  @Override
  public void setContentLength(int len) {
    if (!cycle.failed()) {
      super.setContentLength(len);
    }
  }

  @Override
  public void setContentLengthLong(long len) {
    if (!cycle.failed()) {
      super.setContentLengthLong(len);
    }
  }

  @Override
  public void reset() {
    if (!cycle.failed()) {
      super.reset();
      // The container may choose the stream or the writer afresh after a reset.
      stream = null;
      writer = null;
      cycle.afterReset(); // the committed session's cookie is still owed to the browser
    }
  }

  @Override
  public void resetBuffer() {
    if (!cycle.failed()) {
      super.resetBuffer();
    }
  }

  private static final class CommittingStream extends ServletOutputStream {
    private final ServletOutputStream out;
    private final RequestCycle cycle;

    CommittingStream(ServletOutputStream out, RequestCycle cycle) {
      this.out = out;
      this.cycle = cycle;
    }

    @Override
    public void write(int b) throws IOException {
      if (cycle.beforeOutput()) {
        out.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (cycle.beforeOutput()) {
        out.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      if (cycle.beforeOutput()) {
        out.flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (cycle.beforeOutput()) {
        out.close();
      }
    }

    @Override
    public boolean isReady() {
      return out.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      out.setWriteListener(listener);
    }
  }

  private static final class CommittingWriter extends Writer {
    private final Writer out;
    private final RequestCycle cycle;

    CommittingWriter(Writer out, RequestCycle cycle) {
      this.out = out;
      this.cycle = cycle;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
      if (cycle.beforeOutput()) {
        out.write(cbuf, off, len);
      }
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
      if (cycle.beforeOutput()) {
        out.write(str, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      if (cycle.beforeOutput()) {
        out.flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (cycle.beforeOutput()) {
        out.close();
      }
    }
  }
}
