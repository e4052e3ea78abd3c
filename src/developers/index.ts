export { developerUserService, DeveloperUserError, normalizedEmail, type DeveloperUser, type DeveloperUserService } from './developer-users.js';
export { hashPassword, passwordMatches, generatedPassword, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './passwords.js';
