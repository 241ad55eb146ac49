package io.sessionstate.spring.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * The codec of session attribute values: the {@code sessionstate.codec.*} properties, which {@link
 * SessionStateProperties} holds. Not thread-safe: Spring Boot binds them once at startup.
 */
public class CodecProperties {

  /**
   * Packages whose classes may be stored, besides the application's own packages, Spring Security's
   * and the JDK's value types.
   */
  private List<String> allowedPackages = new ArrayList<>();

  /** Single classes that may be stored, by fully qualified name. */
  private List<String> allowedClasses = new ArrayList<>();

  /** Properties at their defaults, for Spring Boot to bind. */
  public CodecProperties() {}

  /** {@return the value of {@code sessionstate.codec.allowed-packages}} */
  public List<String> getAllowedPackages() {
    return allowedPackages;
  }

  /**
   * Sets {@code sessionstate.codec.allowed-packages}.
   *
   * @param allowedPackages the value
   */
  public void setAllowedPackages(List<String> allowedPackages) {
    this.allowedPackages = allowedPackages;
  }

  /** {@return the value of {@code sessionstate.codec.allowed-classes}} */
  public List<String> getAllowedClasses() {
    return allowedClasses;
  }

  /**
   * Sets {@code sessionstate.codec.allowed-classes}.
   *
   * @param allowedClasses the value
   */
  public void setAllowedClasses(List<String> allowedClasses) {
    this.allowedClasses = allowedClasses;
  }
}
