public enum Tessera {}
