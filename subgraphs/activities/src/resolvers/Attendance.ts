import type { AttendanceResolvers } from '../generated/graphql';
import { memberRef } from './references';

export const Attendance: AttendanceResolvers = {
  member: (attendance) => memberRef(attendance.memberId),
};
