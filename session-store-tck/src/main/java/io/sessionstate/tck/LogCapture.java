package io.sessionstate.tck;

/**
 * What the library logs while the capture is open, so a test can check a warning's wording and that
 * it holds no secret. {@link #systemErr()} reads {@code System.err}, where slf4j-simple writes; a
 * project that tests with another SLF4J backend implements this interface over that backend (for
 * example a Logback list appender).
 *
 * <p>Implementations must be safe to write to from any thread while open.
 */
public interface LogCapture extends AutoCloseable {

  /**
   * Everything logged since the capture opened.
   *
   * @return the captured text
   */
  String text();

  /** Stops capturing; the logging output goes where it went before. */
  @Override
  void close();

  /**
   * Captures what is written to {@code System.err} until closed; the text still reaches the
   * original stream too. slf4j-simple looks {@code System.err} up at every line (unless told to
   * cache it), so swapping the stream is enough to see its output. Captures opened one inside the
   * other must close in reverse order.
   *
   * @return an open capture
   */
  static LogCapture systemErr() {
    return new SystemErrCapture();
  }
}
