package io.sessionstate;

import java.io.ByteArrayOutputStream;

/** A byte array output that refuses to grow past the limit, so encode never buffers more. */
final class SerialBoundedOutput extends ByteArrayOutputStream {
  private final int limit;

  SerialBoundedOutput(int limit) {
    super(Math.min(256, limit));
    this.limit = limit;
  }

  @Override
  public void write(int b) {
    ensure(1);
    super.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    super.write(b, off, len);
  }

  private void ensure(int more) {
    if ((long) count + more > limit) {
      throw new TooLargeException();
    }
  }

  static final class TooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLargeException() {
      super(null, null, false, false);
    }
  }
}
