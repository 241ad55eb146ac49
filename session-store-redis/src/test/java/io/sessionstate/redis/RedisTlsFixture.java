package io.sessionstate.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.HostAndPort;

/**
 * A {@code redis-server} with a TLS listener whose self-signed certificate is made at test time by
 * the JDK's {@code keytool}, for the subject alternative name the test chooses. The server also
 * listens in plain text on {@link #plain()}, for the test's own inspection.
 */
final class RedisTlsFixture implements AutoCloseable {
  private static final String PASSWORD = "changeit";

  private final Path certDir;
  private final KeyStore trust;
  private final int tlsPort;
  private final RedisServerProcess server;

  private RedisTlsFixture(Path certDir, KeyStore trust, int tlsPort, RedisServerProcess server) {
    this.certDir = certDir;
    this.trust = trust;
    this.tlsPort = tlsPort;
    this.server = server;
  }

  /**
   * Starts a server whose certificate names {@code subjectAltName}, in keytool's syntax ({@code
   * ip:127.0.0.1}, {@code dns:example.test}).
   */
  static RedisTlsFixture start(String subjectAltName) {
    Path dir;
    try {
      dir = Files.createTempDirectory("sessionstate-tls-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      KeyStore keyStore = selfSigned(dir, subjectAltName);
      Path cert = dir.resolve("server.crt");
      Path key = dir.resolve("server.key");
      Certificate certificate = keyStore.getCertificate("redis");
      Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
      Files.writeString(
          key, pem("PRIVATE KEY", keyStore.getKey("redis", PASSWORD.toCharArray()).getEncoded()));
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("redis", certificate);
      int tlsPort = RedisServerProcess.freePort();
      RedisServerProcess server =
          RedisServerProcess.start(
              "--tls-port", String.valueOf(tlsPort),
              "--tls-cert-file", cert.toString(),
              "--tls-key-file", key.toString(),
              "--tls-auth-clients", "no");
      return new RedisTlsFixture(dir, trust, tlsPort, server);
    } catch (IOException e) {
      delete(dir);
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | RuntimeException e) {
      delete(dir);
      throw new IllegalStateException("could not start a TLS redis-server: " + e, e);
    }
  }

  /** A socket factory that trusts this server's certificate and nothing else. */
  SSLSocketFactory trustingSocketFactory() {
    return socketFactory(trust);
  }

  /**
   * A socket factory that trusts a different self-signed certificate only, as a client configured
   * with the wrong trust store would.
   */
  static SSLSocketFactory trustingAnotherCertificate() {
    Path dir;
    try {
      dir = Files.createTempDirectory("sessionstate-tls-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      KeyStore other = selfSigned(dir, "ip:127.0.0.1");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("other", other.getCertificate("redis"));
      return socketFactory(trust);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } finally {
      delete(dir);
    }
  }

  HostAndPort tls() {
    return new HostAndPort("127.0.0.1", tlsPort);
  }

  RedisServerProcess plain() {
    return server;
  }

  @Override
  public void close() {
    server.close();
    delete(certDir);
  }

  private static SSLSocketFactory socketFactory(KeyStore trust) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A new EC key pair and self-signed certificate from keytool, in a PKCS12 file in {@code dir}.
   */
  private static KeyStore selfSigned(Path dir, String subjectAltName)
      throws IOException, GeneralSecurityException {
    Path file = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command =
        List.of(
            keytool.toString(),
            "-genkeypair",
            "-alias",
            "redis",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=sessionstate test",
            "-ext",
            "san=" + subjectAltName,
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            file.toString(),
            "-storepass",
            PASSWORD,
            "-keypass",
            PASSWORD);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    return keyStore;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }
}
