// class-transformer keeps each @Type's class in a storage its index does not export; its own types describe it.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
