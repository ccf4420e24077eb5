# cpu.sh PID: utime+stime ticks of the process
s=($(sed 's/.*) //' /proc/$1/stat)); echo $(( ${s[11]} + ${s[12]} ))
