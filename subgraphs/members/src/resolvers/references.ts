export * from '../../../../shared/src/references';
